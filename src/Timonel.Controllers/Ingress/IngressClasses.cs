using k8s.Models;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// The IngressClass Timonel's built-in controller answers for (K3s names its Traefik class after the controller too),
/// and which Ingresses are its own: those naming the class, and those naming none (the class is the default).
/// </summary>
public static class IngressClasses
{
    public const string Name = "timonel";
    public const string Controller = "timonel.io/ingress-controller";

    /// <summary>The annotation that marks a class as the cluster's default (upstream's networking/v1 constant).</summary>
    public const string IsDefaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class";

    /// <summary>The annotation older Ingresses name their class with, before spec.ingressClassName existed.</summary>
    public const string LegacyClassAnnotation = "kubernetes.io/ingress.class";

    /// <summary>The class created at start, marked default so Ingresses without a class are served.</summary>
    public static V1IngressClass Default() => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "IngressClass",
        Metadata = new V1ObjectMeta
        {
            Name = Name,
            Annotations = new Dictionary<string, string> { [IsDefaultClassAnnotation] = "true" },
        },
        Spec = new V1IngressClassSpec { Controller = Controller },
    };

    /// <summary>Whether the Ingress is this controller's: its class is <see cref="Name"/>, or it names no class at all.</summary>
    public static bool IsOurs(V1Ingress ingress)
    {
        var className = ingress.Spec?.IngressClassName;
        if (className is null && ingress.Metadata?.Annotations?.TryGetValue(LegacyClassAnnotation, out var legacy) == true)
        {
            className = legacy;
        }

        return className is null or Name;
    }
}
