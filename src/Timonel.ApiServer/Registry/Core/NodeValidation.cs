using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Nodes (upstream's ValidateNode, validateNodeTaints and ValidateNodeUpdate in pkg/apis/core/validation/validation.go):
/// taints, pod CIDRs, and the pod CIDRs and provider ID that may only be set once.
/// </summary>
internal static class NodeValidation
{
    /// <summary>The taint effects validateTaintEffect accepts, in upstream's order.</summary>
    public static readonly string[] TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    // Upstream validates spec.taints under the metadata path (ValidateNode passes metadata's path), so users see
    // "metadata.taints[0]..." and so do we.
    private static readonly FieldPath _taints = FieldPath.Root("metadata", "taints");
    private static readonly FieldPath _podCidrs = FieldPath.Root("spec", "podCIDRs");
    private const string PodCidrChange = "node updates may not change podCIDR except from \"\" to valid";

    public static FieldErrorList Validate(JsonObject node)
    {
        var errors = new FieldErrorList();
        ValidateTaints(errors, node.ArrayAt("spec", "taints"));
        var cidrs = PodCidrs(node);
        var valid = true;
        for (var i = 0; i < cidrs.Count; i++)
        {
            var problems = NetworkValidation.IsValidCIDR(_podCidrs.Index(i), cidrs[i]);
            valid &= problems.IsEmpty;
            errors.AddRange(problems);
        }

        if (cidrs.Count > 1)
        {
            // IsDualStackCIDRStrings: one IPv4 and one IPv6 range (upstream reports an internal error for unparsable ones).
            var families = cidrs.Select(c => NetworkValidation.TryParseCidr(c, out var ip, out _) && NetworkValidation.IsIpv4(ip)).Distinct().Count();
            if (valid && (families < 2 || cidrs.Count > 2))
            {
                errors.Add(FieldError.Invalid(_podCidrs, cidrs, "may specify no more than one CIDR for each IP family"));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < cidrs.Count; i++)
            {
                if (!seen.Add(cidrs[i]))
                {
                    errors.Add(FieldError.Duplicate(_podCidrs.Index(i), cidrs[i]));
                }
            }
        }

        return errors;
    }

    /// <summary>ValidateNodeUpdate: pod CIDRs and the provider ID may be set once, never changed; then the node's own rules.</summary>
    public static FieldErrorList ValidateUpdate(JsonObject node, JsonObject old)
    {
        var errors = new FieldErrorList();
        var cidrs = PodCidrs(node);
        var oldCidrs = PodCidrs(old);
        if (oldCidrs.Count > 0)
        {
            if (oldCidrs.Count != cidrs.Count)
            {
                errors.Add(FieldError.Forbidden(_podCidrs, PodCidrChange));
            }
            else
            {
                // One error per changed entry, as upstream loops.
                errors.AddRange(oldCidrs.Where((c, i) => c != cidrs[i]).Select(_ => FieldError.Forbidden(_podCidrs, PodCidrChange)));
            }
        }

        var oldProvider = old.StringAt("spec", "providerID") ?? string.Empty;
        if (oldProvider.Length > 0 && oldProvider != (node.StringAt("spec", "providerID") ?? string.Empty))
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec", "providerID"), "node updates may not change providerID except from \"\" to valid"));
        }

        errors.AddRange(Validate(node));
        return errors;
    }

    /// <summary>validateNodeTaints: key a label name, value a label value, a known effect, unique by key and effect.</summary>
    private static void ValidateTaints(FieldErrorList errors, JsonArray? taints)
    {
        var seen = new HashSet<(string Effect, string Key)>();
        var index = 0;
        foreach (var taint in taints.Objects())
        {
            var path = _taints.Index(index++);
            var key = taint.Text("key");
            var effect = taint.Text("effect");
            errors.AddLabelName(key, path.Child("key"));
            var value = taint.Text("value");
            var problems = NameValidation.IsValidLabelValue(value);
            if (problems.Count > 0)
            {
                errors.Add(FieldError.Invalid(path.Child("value"), value, string.Join(";", problems)));
            }

            errors.AddEnum(effect, path.Child("effect"), TaintEffects);
            if (!seen.Add((effect, key)))
            {
                // The core.Taint value, as %#v prints it.
                var shown = GoValue.Struct("core.Taint", ("Key", key), ("Value", value), ("Effect", effect), ("TimeAdded", GoValue.Pointer("v1.Time", taint["timeAdded"] is not null)));
                errors.Add(FieldError.Duplicate(path, shown, "taints must be unique by key and effect pair"));
            }
        }
    }

    // The v1 to internal conversion turns a lone spec.podCIDR into podCIDRs before validation.
    private static List<string> PodCidrs(JsonObject node)
    {
        var cidrs = (node.ArrayAt("spec", "podCIDRs") ?? []).Select(n => n?.ToString() ?? string.Empty).ToList();
        return cidrs.Count == 0 && node.StringAt("spec", "podCIDR") is { Length: > 0 } single ? [single] : cidrs;
    }
}
