using System.CommandLine;
using Timonel.Agent.Containerd;
using Timonel.Agent.Containerd.Images;
using Timonel.Agent.Kubelet.Cri;

namespace Timonel.Commands;

/// <summary>
/// <c>timonel images import FILE...</c> and <c>timonel images ls</c>: the node agent's images, through the
/// containerd socket the agent recorded under its data dir (or the one given).
/// </summary>
internal static class ImagesCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir", "-d") { Description = "The agent's data folder", DefaultValueFactory = _ => Timonel.ApiServer.Hosting.ApiServerOptions.DefaultDataDir() };
        var endpoint = new Option<string?>("--container-runtime-endpoint") { Description = "The CRI socket (default: the one the agent uses)" };
        var files = new Argument<string[]>("FILE") { Description = "OCI or docker-archive tarballs (.tar, .tar.gz, .tar.zst)", Arity = ArgumentArity.OneOrMore };

        var import = new Command("import", "Import image tarballs into the node's containerd") { files, dataDir, endpoint };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var agentDir = Path.Combine(parse.GetValue(dataDir)!, "agent");
            if (Locate(agentDir, parse.GetValue(endpoint)) is not { } socket)
            {
                return 1;
            }

            if (await ReachableAsync(socket, cancellationToken) is { } problem)
            {
                Console.Error.WriteLine($"{problem}; copy the files into {Path.Combine(agentDir, "images")} to import them when the agent starts");
                return 1;
            }

            var importer = parse.GetValue(endpoint) is null ? RuntimeRecord.Read(agentDir).Importer() : new ImageImporter(socket.SocketPath);
            var failed = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    foreach (var name in await importer.ImportAsync(file, cancellationToken))
                    {
                        Console.WriteLine($"imported {name}");
                    }
                }
                catch (ImageImportException ex)
                {
                    Console.Error.WriteLine(ex.Message);
                    failed++;
                }
            }

            return failed == 0 ? 0 : 1;
        });

        var list = new Command("ls", "List the node's images") { dataDir, endpoint };
        list.Aliases.Add("list");
        list.SetAction(async (parse, cancellationToken) =>
        {
            if (Locate(Path.Combine(parse.GetValue(dataDir)!, "agent"), parse.GetValue(endpoint)) is not { } socket)
            {
                return 1;
            }

            if (await ReachableAsync(socket, cancellationToken) is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 1;
            }

            using var runtime = new CriRuntime(socket);
            Console.Write(ImageTable.Render(await runtime.ListImagesAsync(cancellationToken)));
            return 0;
        });

        return new Command("images", "Manage the node's container images") { import, list };
    }

    /// <summary>The socket to talk to, or null after saying why the given one is unusable.</summary>
    private static CriEndpoint? Locate(string agentDir, string? endpoint)
    {
        try
        {
            return CriEndpoint.Parse(endpoint ?? RuntimeRecord.Read(agentDir).Endpoint);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return null;
        }
    }

    private static async Task<string?> ReachableAsync(CriEndpoint socket, CancellationToken cancellationToken)
    {
        using var runtime = new CriRuntime(socket);
        try
        {
            await CriConnection.WaitForVersionAsync(runtime, TimeSpan.FromSeconds(3), cancellationToken);
            return null;
        }
        catch (TimeoutException)
        {
            return $"the node's containerd does not answer at {socket} (is the agent running?)";
        }
    }
}
