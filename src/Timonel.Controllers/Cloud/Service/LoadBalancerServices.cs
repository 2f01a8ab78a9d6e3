using k8s.Models;

namespace Timonel.Controllers.Cloud.Service;

/// <summary>Which Services the cloud's service controller handles (k8s.io/cloud-provider's service controller helpers).</summary>
public static class LoadBalancerServices
{
    /// <summary>Held by a Service while its cloud balancer exists, so it is not gone before the balancer is (servicehelper.LoadBalancerCleanupFinalizer).</summary>
    public const string CleanupFinalizer = "service.kubernetes.io/load-balancer-cleanup";

    /// <summary>
    /// A Service of type LoadBalancer with no loadBalancerClass (wantsLoadBalancer): one with a class belongs to
    /// that class's implementation, and is left alone.
    /// </summary>
    public static bool WantsLoadBalancer(V1Service service) =>
        service.Spec?.Type == "LoadBalancer" && string.IsNullOrEmpty(service.Spec.LoadBalancerClass);

    public static bool HasCleanupFinalizer(V1Service service) =>
        service.Metadata?.Finalizers?.Contains(CleanupFinalizer) == true;

    /// <summary>
    /// A Service holding the finalizer that is being deleted or no longer of type LoadBalancer (needsCleanup): its
    /// balancer is to be deleted. loadBalancerClass cannot change while the type stays LoadBalancer.
    /// </summary>
    public static bool NeedsCleanup(V1Service service) =>
        HasCleanupFinalizer(service) && (service.Metadata.DeletionTimestamp is not null || service.Spec?.Type != "LoadBalancer");

    /// <summary>Whether the controller has anything to do for the Service.</summary>
    public static bool IsHandled(V1Service service) => WantsLoadBalancer(service) || NeedsCleanup(service);
}
