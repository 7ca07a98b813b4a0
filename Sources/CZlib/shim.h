#ifndef FLEXDISPATCH_CZLIB_SHIM_H
#define FLEXDISPATCH_CZLIB_SHIM_H
// zlib's gz* file interface reads gzip-compressed and plain files alike.
#include <zlib.h>
#endif
