using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The admission plugins in their order, called by the store as upstream's handlers and generic registry call the
/// chain: on create and update, decode and defaults, then <see cref="MutateAsync"/>, then the strategy's PrepareFor*
/// and validation, then <see cref="ValidateAsync"/>, then storage; on delete, <see cref="MutateAsync"/> before the
/// object is read and <see cref="ValidateAsync"/> on the stored object before it is removed.
/// </summary>
public sealed class AdmissionChain
{
    private readonly IReadOnlyList<IAdmissionPlugin> _plugins;

    public AdmissionChain(IEnumerable<IAdmissionPlugin> plugins) => _plugins = [.. plugins];

    /// <summary>No plugins: every request is admitted as it is.</summary>
    public static AdmissionChain None { get; } = new([]);

    /// <summary>The plugins of <see cref="Default"/> that need nothing but the request: what a bare store runs.</summary>
    public static AdmissionChain BuiltIn { get; } = new(
    [
        new NamespaceLifecycleAdmission(),
        new ServiceAccountAdmission(),
        new PriorityAdmission(),
        new DefaultTolerationSecondsAdmission(),
    ]);

    /// <summary>
    /// The plugins a kube-apiserver enables by default that Timonel has, in upstream's order
    /// (pkg/kubeapiserver/options/plugins.go AllOrderedPlugins). Plugins that read other objects (a LimitRange, a
    /// quota) read them through <paramref name="services"/> when a request comes, by which time every store exists.
    /// </summary>
    public static AdmissionChain Default(AdmissionServices services)
    {
        return new(
        [
            new NamespaceLifecycleAdmission(services),
            new LimitRangerAdmission(services),
            new ServiceAccountAdmission(services),
            new NodeRestrictionAdmission(services),
            new PodSecurity.PodSecurityAdmission(services),
            new PriorityAdmission(services),
            new DefaultTolerationSecondsAdmission(),
            new DefaultStorageClassAdmission(services),
            new StorageObjectInUseProtectionAdmission(),
            new PersistentVolumeClaimResizeAdmission(services),
            new CertificateApprovalAdmission(services),
            new CertificateSigningAdmission(services),
            new CertificateSubjectRestrictionAdmission(),
            new DefaultIngressClassAdmission(services),
            // Not an upstream admission plugin: upstream's RBAC stores check escalation before the object reaches
            // admission; here it runs among the validating plugins, ahead of the quota that charges for the object.
            new RbacEscalationAdmission(services),
            new ResourceQuota.ResourceQuotaAdmission(services),
        ]);
    }

    public IReadOnlyList<IAdmissionPlugin> Plugins => _plugins;

    /// <summary>Runs every mutating plugin that handles the request, in order.</summary>
    public async ValueTask MutateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        foreach (var plugin in _plugins)
        {
            if (plugin is IMutatingAdmissionPlugin mutating && Applies(plugin, attributes))
            {
                await mutating.AdmitAsync(attributes, cancellationToken);
            }
        }
    }

    /// <summary>Runs every validating plugin that handles the request, in order.</summary>
    public async ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        foreach (var plugin in _plugins)
        {
            if (plugin is IValidatingAdmissionPlugin validating && Applies(plugin, attributes))
            {
                await validating.ValidateAsync(attributes, cancellationToken);
            }
        }
    }

    private static bool Applies(IAdmissionPlugin plugin, AdmissionAttributes attributes) =>
        plugin.Handles(attributes.Operation) && (plugin.Resource is not { } resource || Is(resource, attributes.Resource, attributes.Subresource));

    private static bool Is(AdmittedResource resource, ResourceDefinition definition, string subresource) =>
        resource.Group == definition.Group && resource.Resource == definition.Plural && resource.Subresource == subresource;
}
