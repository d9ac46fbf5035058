// berdaya: the command line with the program models this build carries.
#include "cli/commands.h"
#include "models/kube/program.h"

int main(int argc, char** argv) {
  kube::register_program();
  return cli::main(argc, argv);
}
