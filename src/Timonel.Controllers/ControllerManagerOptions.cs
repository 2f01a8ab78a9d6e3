using Timonel.Controllers.PodGc;

namespace Timonel.Controllers;

/// <summary>kube-controller-manager's flags that <c>timonel server</c> passes on to the controllers.</summary>
public sealed record ControllerManagerOptions
{
    /// <summary>--terminated-pod-gc-threshold: terminated pods kept before the oldest are deleted; 0 or less: never.</summary>
    /// <summary>--cluster-cidr: the range the node IPAM controller gives nodes their /24 pod ranges from.</summary>
    public string ClusterCidr { get; init; } = Timonel.Client.Objects.PodCidrs.DefaultClusterCidr;

    public int TerminatedPodGcThreshold { get; init; } = PodGcController.DefaultTerminatedPodThreshold;

    /// <summary>
    /// The cluster CA with its private key (--cluster-signing-cert-file/--cluster-signing-key-file): the csrsigning
    /// controller issues certificates with it; null leaves CSRs unsigned.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? SigningCertificateAuthority { get; init; }

    /// <summary>
    /// Signs legacy tokens with the service-account key (--service-account-private-key-file): the tokens controller
    /// fills service-account-token Secrets with them; null leaves such Secrets unfilled.
    /// </summary>
    public ServiceAccount.LegacyTokenIssuer? LegacyTokenIssuer { get; init; }

    /// <summary>
    /// The volume provisioners running in the controller manager, by the name StorageClasses give as their
    /// <c>provisioner</c>; claims of other classes wait for an external provisioner, as upstream's do.
    /// </summary>
    public IReadOnlyDictionary<string, Volume.IVolumeProvisioner> VolumeProvisioners { get; init; } = new Dictionary<string, Volume.IVolumeProvisioner>();

    /// <summary>The built-in <c>timonel.io/local-path</c> provisioner's settings; null runs it not.</summary>
    public Volume.LocalPathStorage? LocalPathStorage { get; init; }

    /// <summary>Whether the server deploys its default class <c>local-path</c> (off with <c>--disable local-storage</c>).</summary>
    public bool LocalPathStorageClass { get; init; }

    /// <summary>The alias classes the server deploys (the built-in provider names and <c>--storage-class-alias</c>).</summary>
    public IReadOnlyList<Volume.StorageClassAlias> StorageClassAliases { get; init; } = [];
}
