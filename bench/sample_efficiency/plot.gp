# Hypervolume against real evaluations, mean over seeds with a +-1 standard
# deviation band (min..max is in the table), for the sample-efficiency benchmark. run.sh calls it as
#   gnuplot -e "dir='HV_DIR'; strategies='random nsga2 ...'; true_hv=4334; out='FILE.svg|png'" plot.gp
# where HV_DIR holds curve-<strategy>.csv (columns of sample_efficiency_hv's
# curves.csv: strategy,evaluations,seeds,mean,std,min,max,median).
# The peers' figures from issue 5 are drawn as open symbols: they were
# measured with their own tools and predictor, so compare shapes and ranks,
# not the last digits.

if (out[strlen(out)-3:] eq '.svg') {
  set terminal svg size 900,620 dynamic font 'sans,12'
} else {
  set terminal pngcairo size 900,620 font 'sans,10'
}
set output out

set datafile separator ','
set logscale x 2
set xrange [20:560]
set xtics ('25' 25, '50' 50, '100' 100, '150' 150, '250' 250, '500' 500)
set yrange [2800:4450]
set grid xtics ytics lc rgb '#dddddd'
set xlabel 'real evaluations (log scale)'
set ylabel 'hypervolume, reference (700 M MACs, 70 % top-1)'
set title 'OFA MobileNetV3: predicted ImageNet top-1 vs MACs, mean +- std over seeds'
set key outside below center horizontal maxcols 3 width 1
set style fill transparent solid 0.15 noborder

colours = '#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b'
colour(i) = word(colours, (i - 1) % words(colours) + 1)
file(i) = sprintf('%s/curve-%s.csv', dir, word(strategies, i))

# Peer figures (issue 5): random 3,290 @100 and 3,430 @500 (median of 5
# seeds), BoTorch qLogNEHVI 3,710 @100, their approximate true front 4,160.
$peers_random << EOD
100,3290
500,3430
EOD
$peers_botorch << EOD
100,3710
EOD

plot for [i=1:words(strategies)] file(i) using 2:($4-$5):($4+$5) every ::1 with filledcurves lc rgb colour(i) notitle, \
     for [i=1:words(strategies)] file(i) using 2:4 every ::1 with lines lw 2 lc rgb colour(i) title word(strategies, i), \
     true_hv with lines dt 2 lw 1.5 lc rgb 'black' title sprintf('approx. true front (NSGA-II 100k) %.0f', true_hv), \
     4160 with lines dt 3 lw 1.5 lc rgb '#777777' title 'peers: approx. true front 4160', \
     $peers_random using 1:2 with points pt 4 ps 1.6 lw 2 lc rgb colour(1) title 'peers: random (median of 5)', \
     $peers_botorch using 1:2 with points pt 8 ps 1.6 lw 2 lc rgb colour(5) title 'peers: BoTorch qLogNEHVI'
