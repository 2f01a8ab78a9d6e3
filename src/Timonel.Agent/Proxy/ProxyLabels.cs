namespace Timonel.Agent.Proxy;

/// <summary>The well-known labels kube-proxy's informers filter on.</summary>
public static class ProxyLabels
{
    /// <summary>A Service (and its slices) with this label is handled by another proxy, not this one.</summary>
    public const string ServiceProxyName = "service.kubernetes.io/service-proxy-name";

    /// <summary>The endpointslice controller's mark on slices of headless Services.</summary>
    public const string Headless = "service.kubernetes.io/headless";

    /// <summary>The Service an EndpointSlice belongs to.</summary>
    public const string ServiceName = "kubernetes.io/service-name";

    /// <summary>kube-proxy's selector for EndpointSlices: neither another proxy's nor a headless Service's.</summary>
    public const string SliceSelector = "!" + ServiceProxyName + ",!" + Headless;
}
