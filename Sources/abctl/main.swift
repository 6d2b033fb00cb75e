import CLI

await ABCtl.main()
