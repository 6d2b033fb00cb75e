#ifndef ABCTL_CLIBPQ_SHIM_H
#define ABCTL_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
