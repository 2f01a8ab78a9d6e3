namespace Timonel.OpenApiGen;

/// <summary>
/// Upstream's OpenAPI definition names ("io.k8s.api.core.v1.Pod") for an API group and version. The names follow the
/// Go package each type lives in: k8s.io/api/&lt;pkg&gt;/&lt;version&gt;, apimachinery's meta/v1, and the two API servers
/// that live outside k8s.io/api (apiextensions-apiserver, kube-aggregator).
/// </summary>
internal static class DefinitionNames
{
    public const string Meta = "io.k8s.apimachinery.pkg.apis.meta.v1";
    public const string Time = Meta + ".Time";
    public const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    public const string IntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    public const string DeleteOptions = Meta + ".DeleteOptions";
    public const string Status = Meta + ".Status";
    public const string WatchEvent = Meta + ".WatchEvent";
    public const string Patch = Meta + ".Patch";

    /// <summary>The package prefix for an API group ("" is core) and version.</summary>
    public static string Package(string group, string version) => group switch
    {
        "" or "core" => $"io.k8s.api.core.{version}",
        "apiextensions.k8s.io" or "apiextensions" => $"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.{version}",
        "apiregistration.k8s.io" or "apiregistration" => $"io.k8s.kube-aggregator.pkg.apis.apiregistration.{version}",
        // The one group whose Go package is not named after its first DNS label (k8s.io/api/apiserverinternal).
        "internal.apiserver.k8s.io" => $"io.k8s.api.apiserverinternal.{version}",
        _ => $"io.k8s.api.{group.Split('.')[0]}.{version}",
    };
}
