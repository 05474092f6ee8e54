// zlib from Debian's zlib1g-dev: compress2 and crc32 for the PNG encoder of AD3DReport.
#include <zlib.h>
