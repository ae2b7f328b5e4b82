# Sourced by the sequence spaces' bench scripts: the architectures they run,
# in canonical form. transformer_archs: transformer-lt's smallest, HAT's
# example from DyNAS-T's predictor script, its largest; encoder_archs:
# "SPACE ARCH" for the smallest and largest of bert-base and vit-base.
six() { printf '%s,%s,%s,%s,%s,%s' "$1" "$1" "$1" "$1" "$1" "$1"; }
transformer_archs=(
  'ee=512;de=512;ef=1024,1024,1024,1024,1024,1024;df=1024,-,-,-,-,-;dl=1;eh=4,4,4,4,4,4;dh=4,-,-,-,-,-;ch=4,-,-,-,-,-;ca=-1,-,-,-,-,-'
  'ee=640;de=512;ef=3072,3072,3072,3072,3072,3072;df=2048,3072,3072,3072,1024,-;dl=5;eh=8,8,8,8,8,4;dh=4,8,8,4,4,-;ch=4,8,8,4,4,-;ca=-1,1,1,1,1,-'
  'ee=640;de=640;ef=3072,3072,3072,3072,3072,3072;df=3072,3072,3072,3072,3072,3072;dl=6;eh=8,8,8,8,8,8;dh=8,8,8,8,8,8;ch=8,8,8,8,8,8;ca=2,2,2,2,2,2'
)
encoder_archs=(
  "bert-base l=6;h=$(six 6),-,-,-,-,-,-;i=$(six 1024),-,-,-,-,-,-"
  "bert-base l=12;h=$(six 12),$(six 12);i=$(six 3072),$(six 3072)"
  "vit-base l=10;h=$(six 6),6,6,6,6,-,-;i=$(six 1024),1024,1024,1024,1024,-,-"
  "vit-base l=12;h=$(six 12),$(six 12);i=$(six 3072),$(six 3072)"
)
