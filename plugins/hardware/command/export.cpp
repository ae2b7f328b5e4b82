// Plugin export of CommandModel (kept apart so tests compile the class alone).
#include "command_model.hpp"
#include "nasctl/export.hpp"

NASCTL_HARDWARE_PLUGIN(nasctl::hardware::command::CommandModel, "command", "1.0.0",
                       "Latency measured on a remote device by a user command (adb, ssh, a vendor benchmark) run on the "
                       "exported sub-network")
