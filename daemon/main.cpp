#include "daemon/app/run_wped.h"

int main(int argc, char** argv) { return wpe::runWped(argc, argv); }
