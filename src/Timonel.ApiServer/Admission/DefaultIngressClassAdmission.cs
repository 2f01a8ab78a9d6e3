using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// DefaultIngressClass (plugin/pkg/admission/network/defaultingressclass): a new Ingress that names no class, neither
/// by spec.ingressClassName nor by the older kubernetes.io/ingress.class annotation, gets the default IngressClass's
/// name, the class annotated ingressclass.kubernetes.io/is-default-class=true; of several, the newest (then the first
/// by name). No default class: the Ingress is left as it is.
/// </summary>
public sealed class DefaultIngressClassAdmission(AdmissionServices services) : IMutatingAdmissionPlugin
{
    public const string DefaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class";

    // networking/v1beta1's AnnotationIngressClass: a class named before spec.ingressClassName existed.
    public const string ClassAnnotation = "kubernetes.io/ingress.class";

    public string Name => "DefaultIngressClass";

    public AdmittedResource? Resource { get; } = new("networking.k8s.io", "ingresses");

    public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Create;

    public async ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var ingress = attributes.Object!;
        if (ingress.At("spec", "ingressClassName") is JsonValue || ingress.At("metadata", "annotations", ClassAnnotation) is not null)
        {
            return;
        }

        var chosen = await DefaultClasses.NewestAsync(services.Registry, "networking.k8s.io", "ingressclasses", IsDefault, cancellationToken);
        if (chosen is not null)
        {
            ingress.Child("spec")["ingressClassName"] = chosen.Name();
        }
    }

    private static bool IsDefault(JsonObject ingressClass) => ingressClass.StringAt("metadata", "annotations", DefaultClassAnnotation) == "true";
}
