using k8s.Models;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Testing.Kubelet;

/// <summary>The plainest container config (name, attempt, image, command, args), unless the test makes a container's fail.</summary>
public sealed class FakeContainerConfigFactory : IContainerConfigFactory
{
    /// <summary>Configuring a container of this name fails (CreateContainerConfigError) with this message.</summary>
    public Dictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    public Task<ContainerConfig> CreateAsync(V1Pod pod, V1Container container, ContainerContext context, CancellationToken cancellationToken)
    {
        if (Failures.TryGetValue(container.Name, out var failure))
        {
            throw new ContainerConfigException(failure);
        }

        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = container.Name, Attempt = context.Attempt },
            Image = new ImageSpec { Image = container.Image ?? "" },
            LogPath = $"{container.Name}/{context.Attempt}.log",
        };
        config.Command.Add(container.Command ?? []);
        config.Args.Add(container.Args ?? []);
        return Task.FromResult(config);
    }
}
