#include "app/nodeselection.h"
