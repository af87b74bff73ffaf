// Debian's libsqlite3-dev (see APT_PACKAGES in the Makefile).
#include <sqlite3.h>
