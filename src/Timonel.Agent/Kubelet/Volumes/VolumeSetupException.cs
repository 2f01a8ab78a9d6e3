namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// A volume that cannot be set up yet (a ConfigMap or Secret that does not exist and is not optional, an unbound
/// claim): the pod worker reports it as a FailedMount event and tries again.
/// </summary>
public sealed class VolumeSetupException : Exception
{
    public VolumeSetupException(string volume, string message)
        : base(message) => Volume = volume;

    public string Volume { get; }
}
