using System.CommandLine;
using Timonel.Commands;

var root = new RootCommand("Timonel: a lightweight, Kubernetes-compatible container orchestrator");
root.Subcommands.Add(ServerCommand.Create());
root.Subcommands.Add(AgentCommand.Create());
root.Subcommands.Add(TokenCommand.Create());
root.Subcommands.Add(ImagesCommand.Create());
root.Subcommands.Add(KillallCommand.Create());
root.Subcommands.Add(KustomizeCommand.Create());
root.Subcommands.Add(SecretsEncryptCommand.Create());
return await root.Parse(args).InvokeAsync();
