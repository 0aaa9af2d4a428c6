using System.CommandLine;
using CommerceOS.Cli;

var root = new RootCommand("cos — the CommerceOS command line. Uses the same configuration and data folder as the server when run from the same place.");
root.Add(HostCommands.Serve());
root.Add(HostCommands.Worker());
root.Add(HostCommands.Migrate());
return await root.Parse(args).InvokeAsync();
