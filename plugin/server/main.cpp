// qatysu-server: everything it does lives in plugin/src/app (the composition root).
#include "plugin/app/server_application.hpp"

int main(int argc, char** argv) {
  return plugin::app::ServerApplication().run(argc, argv);
}
