import CLI

await ABCtl.runFromCommandLine()
