// The exact hypervolume algorithms behind nasctl/moo/hypervolume.hpp. Every
// kernel takes rows that strictly dominate `reference` (the public functions
// filter the others out first) and returns their exact hypervolume.
#pragma once

#include "flat_rows.hpp"

namespace nasctl::moo::detail {

double hypervolume_1d(const FlatRows& rows, const double* reference);

// O(n log n) sweep along the first objective.
double hypervolume_2d(const FlatRows& rows, const double* reference);

// O(n log n) sweep along the third objective over a 2-D staircase.
double hypervolume_3d(const FlatRows& rows, const double* reference);

// WFG with slicing along the last objective; recurses down to the 3-D sweep.
// For 4 or more objectives.
double hypervolume_wfg(const FlatRows& rows, const double* reference);

// Chooses the kernel for rows.objectives (>= 1).
double exact_hypervolume(const FlatRows& rows, const double* reference);

// The rows no other row weakly dominates, one copy of each: the only rows
// that add volume. O(n * kept * objectives).
FlatRows nondominated_rows(const FlatRows& rows);

}  // namespace nasctl::moo::detail
