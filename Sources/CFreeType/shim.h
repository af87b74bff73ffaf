// FreeType 2 (Debian libfreetype-dev). Its headers live under /usr/include/freetype2, which the
// package's pkg-config file (freetype2.pc) adds to the include path.
#include <ft2build.h>
#include FT_FREETYPE_H
