using System.Text.Json;
using Timonel.Agent.Containerd.Images;
using Timonel.Agent.Kubelet.Cri;

namespace Timonel.Agent.Containerd;

/// <summary>
/// The runtime the agent of a data dir uses, recorded at its start (DATA/agent/containerd/runtime.json) so that
/// <c>timonel images</c> talks to the same socket and unpacks imports for the same snapshotter.
/// </summary>
public sealed record RuntimeRecord(string Endpoint, string? Snapshotter)
{
    public static string FileOf(string agentDir) => Path.Combine(agentDir, "containerd", "runtime.json");

    /// <summary>What the agent recorded, or its own containerd's defaults when it never ran.</summary>
    public static RuntimeRecord Read(string agentDir)
    {
        try
        {
            var recorded = JsonSerializer.Deserialize<RuntimeRecord>(File.ReadAllText(FileOf(agentDir)));
            if (recorded is not null)
            {
                return recorded;
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            // Never recorded: fall back to the default socket.
        }

        return new RuntimeRecord(new CriEndpoint(new ContainerdPaths(agentDir).Socket).ToString(), null);
    }

    public void Write(string agentDir) => AtomicFile.Write(FileOf(agentDir), JsonSerializer.Serialize(this));

    /// <exception cref="ArgumentException">The recorded endpoint is not a unix socket.</exception>
    public CriEndpoint CriEndpoint => CriEndpoint.Parse(Endpoint);

    public ImageImporter Importer() => new(CriEndpoint.SocketPath, Snapshotter);
}
