// berdaya_toy: the berdaya command line with the toy model registered beside KUBE.
#include "cli/commands.h"
#include "models/kube/program.h"
#include "tests/toy/toy.h"
#include "tests/toy/ventures.h"

int main(int argc, char** argv) {
  kube::register_program();
  toy::register_program();
  ventures::register_program();
  return cli::main(argc, argv);
}
