#include <iostream>

#include "app/CompanionApp.h"

// Thin entry point: everything lives in ccc_service_core so tests and benchmarks link the same code.
POCO_SERVER_MAIN(ccc::CompanionApp)
