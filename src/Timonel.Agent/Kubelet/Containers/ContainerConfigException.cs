namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// A container that cannot be configured yet, e.g. an env var from a missing ConfigMap key that is not optional:
/// the container waits with reason CreateContainerConfigError and this message, as upstream's.
/// </summary>
public sealed class ContainerConfigException : Exception
{
    public ContainerConfigException(string message)
        : base(message)
    {
    }
}
