#include "ccodecs.h"

#include <stdlib.h>

void ccodecs_free(void *pointer) { free(pointer); }
