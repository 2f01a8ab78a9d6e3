using k8s.Models;
using Timonel.Agent.Kubelet.Containers.Environment;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// <see cref="IContainerConfigFactory"/> as kuberuntime's generateContainerConfig: the environment, command and args
/// with <c>$(VAR)</c> references expanded, mounts, cgroup resources, the security context (runAsNonRoot checked
/// against the image's user), labels and annotations, and the log path <c>name/attempt.log</c>.
/// </summary>
public sealed class ContainerConfigFactory : IContainerConfigFactory
{
    private readonly IImageService _images;
    private readonly ContainerConfigOptions _options;
    private readonly ContainerEnvironment _environment;
    private readonly ContainerMounts _mounts;

    public ContainerConfigFactory(IPodObjects objects, IImageService images, ContainerConfigOptions options)
    {
        _images = images;
        _options = options;
        _environment = new ContainerEnvironment(objects, options.NodeAllocatable);
        _mounts = new ContainerMounts(options);
    }

    public async Task<ContainerConfig> CreateAsync(V1Pod pod, V1Container container, ContainerContext context, CancellationToken cancellationToken)
    {
        var env = await _environment.BuildAsync(pod, container, context, cancellationToken);
        var security = EffectiveSecurityContext.For(pod, container);
        var imageUser = await ImageUserAsync(container.Image, cancellationToken);
        RunAsNonRoot.Verify(pod, container, security, imageUser);

        var lookup = VariableExpansion.LookupIn(env.GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal));
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = container.Name, Attempt = context.Attempt },
            Image = new ImageSpec { Image = container.Image ?? "", UserSpecifiedImage = container.Image ?? "" },
            WorkingDir = container.WorkingDir ?? "",
            LogPath = LogPath(container.Name, context.Attempt),
            Stdin = container.Stdin == true,
            StdinOnce = container.StdinOnce == true,
            Tty = container.Tty == true,
            Linux = new LinuxContainerConfig
            {
                Resources = ContainerResources.For(pod, container, _options.MachineMemoryBytes),
                SecurityContext = ContainerSecurity.For(pod, security, imageUser, _options.SeccompProfileRoot),
            },
        };
        config.Command.AddRange((container.Command ?? []).Select(c => VariableExpansion.Expand(c, lookup)));
        config.Args.AddRange((container.Args ?? []).Select(a => VariableExpansion.Expand(a, lookup)));
        config.Envs.AddRange(env.Select(pair => new KeyValue { Key = pair.Key, Value = pair.Value }));
        config.Mounts.AddRange(_mounts.Build(pod, container, context, env));
        config.Labels.Add(ContainerLabels.Labels(pod, container).ToDictionary());
        config.Annotations.Add(ContainerLabels.Annotations(pod, container, context.Attempt).ToDictionary());
        return config;
    }

    /// <summary>A container instance's log file relative to the sandbox's log directory (BuildContainerLogsPath).</summary>
    public static string LogPath(string containerName, uint attempt) => $"{containerName}/{attempt}.log";

    // The image was pulled before; a runtime that no longer has it leaves its user unknown.
    private async Task<ImageUser> ImageUserAsync(string? image, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(image) || await _images.ImageStatusAsync(new ImageSpec { Image = image }, cancellationToken) is not { } status)
        {
            return ImageUser.Unknown;
        }

        return new ImageUser(status.Uid?.Value, status.Username ?? "");
    }
}
