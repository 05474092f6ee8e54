// CBLAS and LAPACKE from Debian's libblas-dev / liblapacke-dev.
// Complex types as structs so that Swift imports the headers without C99 _Complex.
#define LAPACK_COMPLEX_STRUCTURE
#include <cblas.h>
#include <lapacke.h>
