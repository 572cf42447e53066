// The system zlib, for reading gzip-compressed usage logs.
#include <zlib.h>
