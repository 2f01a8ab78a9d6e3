using System.CommandLine;
using Timonel.Commands;

var root = new RootCommand("Timonel");
root.Subcommands.Add(KustomizeCommand.Create());
return await root.Parse(args).InvokeAsync();
