using Microsoft.Extensions.Logging;
using Timonel.Agent.Containerd.Images;
using Timonel.Agent.Containerd.Registries;
using Timonel.Agent.Kubelet.Cri;
using Timonel.Agent.Kubelet.Images;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Containerd;

/// <summary>
/// The node agent's container runtime, ready to use: either its own containerd (prerequisites checked, config and
/// registry hosts written, child process started, air-gap images imported) or an existing runtime named by
/// --container-runtime-endpoint, waited for. The kubelet takes <see cref="Runtime"/>, writes the node's CNI network
/// into <see cref="CniConfDir"/> once it knows its podCIDR, and pulls with <see cref="Credentials"/>.
/// </summary>
public sealed class AgentContainerd : IAsyncDisposable
{
    private static readonly TimeSpan _externalRuntimeWait = TimeSpan.FromSeconds(30);

    private AgentContainerd(CriRuntime runtime, IImageService images, string cniConfDir, ImageImporter importer, RegistriesFile registries, ContainerdProcess? process)
    {
        Runtime = runtime;
        Images = images;
        CniConfDir = cniConfDir;
        Importer = importer;
        Registries = registries;
        Credentials = new ImageCredentials(registries);
        Process = process;
    }

    /// <summary>The agent's own containerd, or null when an existing runtime is used.</summary>
    public ContainerdProcess? Process { get; }

    public CriRuntime Runtime { get; }

    /// <summary>
    /// The image service the kubelet pulls through: the agent's own containerd applies registries.yaml's "*" mirror and
    /// rewrites around its pulls (<see cref="MirroredImageService"/>); a runtime given by endpoint pulls as it is configured.
    /// </summary>
    public IImageService Images { get; }

    public string CniConfDir { get; }

    public ImageImporter Importer { get; }

    public RegistriesFile Registries { get; }

    public ImageCredentials Credentials { get; }

    /// <exception cref="MissingPrerequisitesException">The machine lacks root, containerd, runc or the CNI plugins.</exception>
    /// <exception cref="FormatException">registries.yaml is invalid.</exception>
    /// <exception cref="TimeoutException">The runtime did not answer.</exception>
    public static async Task<AgentContainerd> StartAsync(AgentContainerdOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var registries = RegistriesFile.Load(options.PrivateRegistry);
        if (options.RuntimeEndpoint is { } given)
        {
            var endpoint = CriEndpoint.Parse(given);
            var external = new CriRuntime(endpoint);
            try
            {
                var version = await CriConnection.WaitForVersionAsync(external, _externalRuntimeWait, cancellationToken);
                logger.LogInformation("using {Runtime} {Version} at {Endpoint}", version.RuntimeName, version.RuntimeVersion, endpoint);
            }
            catch
            {
                external.Dispose();
                throw;
            }

            var externalRecord = new RuntimeRecord(endpoint.ToString(), Snapshotter: null);
            externalRecord.Write(options.AgentDir);
            return new AgentContainerd(external, external, options.ExternalCniConfDir, externalRecord.Importer(), registries, process: null);
        }

        if (AgentPrerequisites.Check().Message is { } missing)
        {
            throw new MissingPrerequisitesException(missing);
        }

        var paths = new ContainerdPaths(options.AgentDir, options.RunDir);
        var settings = ContainerdSettings.Detect(paths, options.SandboxImage);
        ContainerdConfig.Write(paths, settings);
        // The sandbox image's registry is named too: containerd pulls that image itself, without the kubelet.
        RegistryHosts.Write(paths.CertsDir, registries, alsoFor: [ImageReference.Parse(settings.SandboxImage).Host]);

        logger.LogInformation("starting containerd (snapshotter {Snapshotter}, restrict_oom_score_adj {Restrict})", settings.Snapshotter, settings.RestrictOomScoreAdj);
        var process = await ContainerdProcess.StartAsync(paths, logger, cancellationToken, options.ContainerdBinary);
        var record = new RuntimeRecord(process.Endpoint.ToString(), settings.Snapshotter);
        var importer = record.Importer();
        var runtime = new CriRuntime(process.Endpoint);
        var images = new MirroredImageService(runtime, registries, new RegistryHostsDirectory(paths.CertsDir, registries), new ContainerdImageNames(process.Endpoint.SocketPath));
        var containerd = new AgentContainerd(runtime, images, paths.CniConfDir, importer, registries, process);
        try
        {
            record.Write(options.AgentDir);
            await new AirGapImages(paths.ImagesDir, paths.ImportRecordFile, importer, logger).ImportAsync(cancellationToken);
            return containerd;
        }
        catch
        {
            await containerd.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Runtime.Dispose();
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }
    }
}
