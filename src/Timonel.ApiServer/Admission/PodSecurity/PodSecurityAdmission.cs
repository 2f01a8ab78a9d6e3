using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>
/// The PodSecurity plugin (plugin/pkg/admission/security/podsecurity over k8s.io/pod-security-admission/admission):
/// pods are checked against their namespace's enforce, audit and warn levels (labels
/// pod-security.kubernetes.io/&lt;mode&gt; and -version); an enforce failure refuses the pod, a warn failure adds a
/// Warning header, an audit failure an audit annotation (pod-security.kubernetes.io/audit-violations, waiting in
/// <see cref="RequestRecorder"/> for the audit log). Pod controllers' templates get warn and audit, never enforce.
/// A namespace's labels must parse; changing its enforce level to a stricter one evaluates the pods already there
/// and warns about those that would now be refused. Exemptions (users, namespaces, runtime classes) are none, as
/// upstream's default configuration has none.
/// </summary>
public sealed class PodSecurityAdmission : IValidatingAdmissionPlugin
{
    /// <summary>Audit annotation keys (pod-security-admission api/constants.go, prefixed as the plugin adds them).</summary>
    public const string AuditViolationsAnnotation = "pod-security.kubernetes.io/audit-violations";
    public const string EnforcePolicyAnnotation = "pod-security.kubernetes.io/enforce-policy";
    public const string ErrorAnnotation = "pod-security.kubernetes.io/error";

    // admission.go ignoredPodSubresources: requests that cannot change what a pod runs as.
    private static readonly HashSet<string> _ignoredPodSubresources = new(StringComparer.Ordinal)
    {
        "exec", "attach", "binding", "eviction", "log", "portforward", "proxy", "status",
    };

    // admission.go defaultNamespaceMaxPodsToCheck.
    private const int MaxPodsToCheck = 3000;

    private readonly StoreRegistry _registry;

    public PodSecurityAdmission(AdmissionServices services) => _registry = services.Registry;

    public string Name => "PodSecurity";

    public AdmittedResource? Resource => null;

    public bool Handles(AdmissionOperation operation) => operation is AdmissionOperation.Create or AdmissionOperation.Update;

    public async ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var definition = attributes.Resource;
        switch (definition.Group, definition.Plural)
        {
            case ("", "namespaces") when attributes.Subresource.Length == 0:
                await ValidateNamespaceAsync(attributes, cancellationToken);
                break;
            case ("", "pods") when !_ignoredPodSubresources.Contains(attributes.Subresource):
                await ValidatePodAsync(attributes, cancellationToken);
                break;
            case ("", "podtemplates") or ("", "replicationcontrollers") or ("apps", "deployments" or "replicasets" or "statefulsets" or "daemonsets") or ("batch", "jobs" or "cronjobs")
                when attributes.Subresource.Length == 0:
                await ValidateControllerAsync(attributes, cancellationToken);
                break;
        }
    }

    /// <summary>The pod template a controller carries (upstream's DefaultPodSpecExtractor), or null when it has none.</summary>
    public static JsonObject? Template(string plural, JsonObject obj) => plural switch
    {
        "podtemplates" => obj.ObjectAt("template"),
        "cronjobs" => obj.ObjectAt("spec", "jobTemplate", "spec", "template"),
        _ => obj.ObjectAt("spec", "template"),
    };

    private async Task ValidatePodAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var pod = attributes.Object!;
        if (attributes.Operation == AdmissionOperation.Update && attributes.OldObject is { } old && !IsSignificantPodUpdate(pod, old))
        {
            return;
        }

        if (await PolicyAsync(attributes.Namespace, cancellationToken) is not var (policy, errors))
        {
            return;
        }

        if (errors.IsEmpty && policy.AllPrivileged)
        {
            return;
        }

        var denial = Evaluate(policy, errors, new PodSecurityPod(pod.ObjectAt("metadata"), pod.ObjectAt("spec")), enforce: true);
        if (denial is not null)
        {
            throw StatusException.Forbidden(attributes.Resource.Group, attributes.Resource.Plural, attributes.Name, denial);
        }
    }

    private async Task ValidateControllerAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        if (Template(attributes.Resource.Plural, attributes.Object!) is not { } template)
        {
            return;
        }

        if (await PolicyAsync(attributes.Namespace, cancellationToken) is not var (policy, errors))
        {
            return;
        }

        if (errors.IsEmpty && policy.Warn.Level == PodSecurityLevel.Privileged && policy.Audit.Level == PodSecurityLevel.Privileged)
        {
            return;
        }

        Evaluate(policy, errors, new PodSecurityPod(template.ObjectAt("metadata"), template.ObjectAt("spec")), enforce: false);
    }

    /// <summary>
    /// admission.go EvaluatePod: records the audit annotations and the warning, and returns the enforce refusal's
    /// text, or null when the pod is admitted. Warnings are left out of a request that is refused.
    /// </summary>
    private static string? Evaluate(NamespacePolicy policy, FieldErrorList errors, PodSecurityPod pod, bool enforce)
    {
        if (!errors.IsEmpty)
        {
            RequestRecorder.AddAuditAnnotation(ErrorAnnotation, "Failed to parse policy: " + errors.ToAggregateMessage());
        }

        string? denial = null;
        if (enforce)
        {
            RequestRecorder.AddAuditAnnotation(EnforcePolicyAnnotation, policy.Enforce.ToString());
            if (PodSecurityChecks.Describe(PodSecurityChecks.Evaluate(policy.Enforce, pod)) is { } enforced)
            {
                denial = $"violates PodSecurity \"{policy.Enforce}\": {enforced}";
            }
        }

        if (PodSecurityChecks.Describe(PodSecurityChecks.Evaluate(policy.Audit, pod)) is { } audited)
        {
            RequestRecorder.AddAuditAnnotation(AuditViolationsAnnotation, $"would violate PodSecurity \"{policy.Audit}\": {audited}");
        }

        if (denial is null && PodSecurityChecks.Describe(PodSecurityChecks.Evaluate(policy.Warn, pod)) is { } warned)
        {
            RequestRecorder.AddWarning($"would violate PodSecurity \"{policy.Warn}\": {warned}");
        }

        return denial;
    }

    private async Task ValidateNamespaceAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var name = attributes.Name;
        var errors = new FieldErrorList();
        var policy = NamespacePolicy.FromLabels(attributes.Object!.Labels(), errors);
        if (attributes.Operation == AdmissionOperation.Create)
        {
            if (!errors.IsEmpty)
            {
                throw StatusException.Invalid("", "Namespace", name, errors);
            }

            return;
        }

        var oldErrors = new FieldErrorList();
        var oldPolicy = NamespacePolicy.FromLabels(attributes.OldObject!.Labels(), oldErrors);
        // Labels that were already invalid in the same way do not block other changes to the namespace.
        if (!errors.IsEmpty && (oldErrors.IsEmpty || errors.ToAggregateMessage() != oldErrors.ToAggregateMessage()))
        {
            throw StatusException.Invalid("", "Namespace", name, errors);
        }

        // Skip the pods when enforce is unchanged, privileged, or relaxed at the same version.
        if (policy.Enforce == oldPolicy.Enforce || policy.Enforce.Level == PodSecurityLevel.Privileged
            || (policy.Enforce.Version == oldPolicy.Enforce.Version && policy.Enforce.Level <= oldPolicy.Enforce.Level))
        {
            return;
        }

        foreach (var warning in await EvaluatePodsInNamespaceAsync(name, policy.Enforce, cancellationToken))
        {
            RequestRecorder.AddWarning(warning);
        }
    }

    /// <summary>admission.go EvaluatePodsInNamespace: the warnings for the pods a new enforce level would refuse.</summary>
    public async Task<IReadOnlyList<string>> EvaluatePodsInNamespaceAsync(string ns, LevelVersion enforce, CancellationToken cancellationToken)
    {
        var list = await _registry.Get("", "pods").ListAsync(ns, ListQuery.All, cancellationToken);
        var pods = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var total = pods.Count;
        var checkedPods = pods.Take(MaxPodsToCheck).ToList();
        var order = new List<string>();
        var counts = new Dictionary<string, (string FirstPod, int Count)>(StringComparer.Ordinal);
        foreach (var pod in checkedPods)
        {
            var failures = PodSecurityChecks.Evaluate(enforce, new PodSecurityPod(pod.ObjectAt("metadata"), pod.ObjectAt("spec")));
            if (failures.Count == 0)
            {
                continue;
            }

            var reasons = PodSecurityChecks.Reasons(failures);
            var podName = pod.Name() ?? "";
            if (counts.TryGetValue(reasons, out var seen))
            {
                counts[reasons] = (string.CompareOrdinal(podName, seen.FirstPod) < 0 ? podName : seen.FirstPod, seen.Count + 1);
            }
            else
            {
                order.Add(reasons);
                counts[reasons] = (podName, 1);
            }
        }

        var warnings = new List<string>();
        if (checkedPods.Count < total)
        {
            warnings.Add($"new PodSecurity enforce level only checked against the first {checkedPods.Count} of {total} existing pods");
        }

        if (order.Count > 0)
        {
            warnings.Add($"existing pods in namespace {GoValue.Quote(ns)} violate the new PodSecurity enforce level {GoValue.Quote(enforce.ToString())}");
        }

        var decorated = order.Select(reasons => counts[reasons] switch
        {
            (var first, 1) => $"{first}: {reasons}",
            (var first, 2) => $"{first} (and 1 other pod): {reasons}",
            var (first, count) => $"{first} (and {count - 1} other pods): {reasons}",
        });
        warnings.AddRange(decorated.Order(StringComparer.Ordinal));
        return warnings;
    }

    /// <summary>The namespace's policy and its label errors; null when the namespace does not exist (its own check refuses).</summary>
    private async Task<(NamespacePolicy Policy, FieldErrorList Errors)?> PolicyAsync(string? ns, CancellationToken cancellationToken)
    {
        JsonObject namespaceObject;
        try
        {
            namespaceObject = await _registry.Get("", "namespaces").GetAsync(null, ns ?? "", cancellationToken);
        }
        catch (StatusException ex) when (ex.Code == 404)
        {
            return null;
        }

        var errors = new FieldErrorList();
        return (NamespacePolicy.FromLabels(namespaceObject.Labels(), errors), errors);
    }

    /// <summary>
    /// admission.go isSignificantPodUpdate: only changes to images, containers and seccomp annotations can change the
    /// verdict of a pod already admitted; the rest of a pod is immutable or irrelevant.
    /// </summary>
    private static bool IsSignificantPodUpdate(JsonObject pod, JsonObject old)
    {
        const string seccompPod = "seccomp.security.alpha.kubernetes.io/pod";
        const string seccompContainer = "container.seccomp.security.alpha.kubernetes.io/";
        var annotations = pod.Annotations();
        var oldAnnotations = old.Annotations();
        if (annotations.GetValueOrDefault(seccompPod) != oldAnnotations.GetValueOrDefault(seccompPod))
        {
            return true;
        }

        bool Significant(JsonObject container, JsonObject oldContainer) =>
            container.StringAt("image") != oldContainer.StringAt("image")
            || annotations.GetValueOrDefault(seccompContainer + PodSecurityPod.Name(container)) != oldAnnotations.GetValueOrDefault(seccompContainer + PodSecurityPod.Name(oldContainer));

        foreach (var field in new[] { "containers", "initContainers" })
        {
            var containers = (pod.ArrayAt("spec", field) ?? []).OfType<JsonObject>().ToList();
            var oldContainers = (old.ArrayAt("spec", field) ?? []).OfType<JsonObject>().ToList();
            if (containers.Count != oldContainers.Count || containers.Zip(oldContainers).Any(pair => Significant(pair.First, pair.Second)))
            {
                return true;
            }
        }

        var oldEphemeral = (old.ArrayAt("spec", "ephemeralContainers") ?? []).OfType<JsonObject>().ToDictionary(PodSecurityPod.Name, StringComparer.Ordinal);
        return (pod.ArrayAt("spec", "ephemeralContainers") ?? []).OfType<JsonObject>()
            .Any(c => !oldEphemeral.TryGetValue(PodSecurityPod.Name(c), out var previous) || Significant(c, previous));
    }
}
