# Problem (b) of the sample-efficiency benchmark: hypervolume against real
# evaluations, mean over seeds with a +-1 standard deviation band, one panel
# per cost. run_b.sh --phase report calls it as
#   gnuplot -e "strategies='random nsga2 ...'; costs='macs latency'; dir='OUT';
#               out='FILE.svg|png'; xmax=500; true_macs=...; ref_macs='90,30';
#               axis_macs='...'; (the same for latency)" plot_b.gp
# where true_<cost> is the larger of fronts.csv's hypervolumes and
# OUT/hv-<cost>/curve-<strategy>.csv hold the columns of
# sample_efficiency_hv's curves.csv (strategy,evaluations,seeds,mean,std,min,max,median).

panels = words(costs)
if (out[strlen(out)-3:] eq '.svg') {
  set terminal svg size 900*panels,620 dynamic font 'sans,12'
} else {
  set terminal pngcairo size 900*panels,620 font 'sans,10'
}
set output out

set datafile separator ','
set logscale x 2
set xrange [20:xmax * 1.12]
set xtics ('25' 25, '50' 50, '100' 100, '150' 150, '250' 250, '500' 500)
set xtics add (sprintf('%d', xmax) xmax)
set grid xtics ytics lc rgb '#dddddd'
set xlabel 'real evaluations (log scale)'
set key outside below center horizontal maxcols 3 width 1
set style fill transparent solid 0.15 noborder

colours = '#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b'
colour(i) = word(colours, (i - 1) % words(colours) + 1)

set multiplot layout 1,panels title 'Fashion-MNIST super-network (OFA MobileNetV3 w0.35): measured top-1, mean +- std over seeds'
do for [p=1:panels] {
  c = word(costs, p)
  true_hv = value('true_'.c)
  set title sprintf('top-1 vs %s', value('axis_'.c))
  set ylabel sprintf('hypervolume, reference (%s)', value('ref_'.c))
  file(i) = sprintf('%s/hv-%s/curve-%s.csv', dir, c, word(strategies, i))
  plot for [i=1:words(strategies)] file(i) using 2:($4-$5):($4+$5) every ::1 with filledcurves lc rgb colour(i) notitle, \
       for [i=1:words(strategies)] file(i) using 2:4 every ::1 with lines lw 2 lc rgb colour(i) title word(strategies, i), \
       true_hv with lines dt 2 lw 1.5 lc rgb 'black' title sprintf('approx. true front (long NSGA-II or union of all runs) %.0f', true_hv)
}
unset multiplot
