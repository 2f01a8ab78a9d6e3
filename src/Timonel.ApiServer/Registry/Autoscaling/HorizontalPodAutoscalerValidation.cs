using System.Text.Json.Nodes;
using Timonel.Api.Quantities;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Autoscaling;

/// <summary>
/// HorizontalPodAutoscalers in their v2 form (upstream's pkg/apis/autoscaling/validation
/// ValidateHorizontalPodAutoscaler): replica bounds, the target reference, then the metrics, then the behavior.
/// </summary>
internal static class HorizontalPodAutoscalerValidation
{
    /// <summary>validMetricSourceTypesList (sorted).</summary>
    private static readonly string[] _sourceTypes = ["ContainerResource", "External", "Object", "Pods", "Resource"];
    private static readonly string[] _selectPolicies = ["Disabled", "Max", "Min"];
    private static readonly string[] _policyTypes = ["Percent", "Pods"];

    /// <summary>The field each source type keeps its details in.</summary>
    private static readonly (string Type, string Field)[] _sourceFields =
        [("Object", "object"), ("External", "external"), ("Pods", "pods"), ("Resource", "resource"), ("ContainerResource", "containerResource")];

    public static FieldErrorList Validate(JsonObject hpa)
    {
        var errors = new FieldErrorList();
        var path = FieldPath.Root("spec");
        var spec = hpa.ObjectAt("spec") ?? [];
        var minReplicas = spec.LongAt("minReplicas");
        var maxReplicas = spec.LongAt("maxReplicas") ?? 0;
        // MinReplicasLowerBound is 1 without the HPAScaleToZero feature gate.
        if (minReplicas is < 1)
        {
            errors.Add(FieldError.Invalid(path.Child("minReplicas"), minReplicas.Value, "must be greater than or equal to 1"));
        }

        if (maxReplicas < 1)
        {
            errors.Add(FieldError.Invalid(path.Child("maxReplicas"), maxReplicas, "must be greater than 0"));
        }

        if (minReplicas is { } min && maxReplicas < min)
        {
            errors.Add(FieldError.Invalid(path.Child("maxReplicas"), maxReplicas, "must be greater than or equal to `minReplicas`"));
        }

        // Upstream reports only the first group that fails: the reference, else the metrics, else the behavior.
        var stage = new FieldErrorList();
        AddObjectReference(stage, spec.ObjectAt("scaleTargetRef"), path.Child("scaleTargetRef"));
        if (stage.Count == 0)
        {
            var index = 0;
            foreach (var metric in spec.ArrayAt("metrics").Objects())
            {
                AddMetric(stage, metric, path.Child("metrics").Index(index++));
            }
        }

        if (stage.Count == 0 && spec.ObjectAt("behavior") is { } behavior)
        {
            AddRules(stage, behavior.ObjectAt("scaleUp"), path.Child("behavior", "scaleUp"));
            AddRules(stage, behavior.ObjectAt("scaleDown"), path.Child("behavior", "scaleDown"));
        }

        errors.AddRange(stage);
        return errors;
    }

    /// <summary>ValidateCrossVersionObjectReference: kind and name required, each one path segment.</summary>
    private static void AddObjectReference(FieldErrorList errors, JsonObject? reference, FieldPath path)
    {
        foreach (var field in new[] { "kind", "name" })
        {
            var value = reference.Text(field);
            if (value.Length == 0)
            {
                errors.Add(FieldError.Required(path.Child(field)));
            }
            else
            {
                errors.AddInvalid(path.Child(field), value, NameValidation.IsValidPathSegmentName(value));
            }
        }
    }

    /// <summary>validateMetricSpec: a known type whose source is set, and no other source.</summary>
    private static void AddMetric(FieldErrorList errors, JsonObject metric, FieldPath path)
    {
        var type = metric.Text("type");
        if (type.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("type"), "must specify a metric source type"));
        }

        var present = _sourceFields.Where(s => metric[s.Field] is JsonObject).ToList();
        if (present.Count > 0)
        {
            AddSource(errors, present[0].Type, metric.ObjectAt(present[0].Field)!, path.Child(present[0].Field));
        }

        var expected = _sourceFields.FirstOrDefault(s => s.Type == type);
        if (expected.Field is null)
        {
            errors.Add(FieldError.NotSupported(path.Child("type"), type, _sourceTypes));
        }
        else if (metric[expected.Field] is not JsonObject)
        {
            errors.Add(FieldError.Required(path.Child(expected.Field), "must populate information for the given metric source"));
        }

        if (present.Count > 1)
        {
            foreach (var extra in present.Where(p => p.Field != expected.Field))
            {
                errors.Add(FieldError.Forbidden(path.Child(extra.Field), "must populate the given metric source only"));
            }
        }
    }

    private static void AddSource(FieldErrorList errors, string type, JsonObject source, FieldPath path)
    {
        var target = source.ObjectAt("target");
        var targetPath = path.Child("target");
        switch (type)
        {
            case "Resource" or "ContainerResource":
                if (source.Text("name").Length == 0)
                {
                    errors.Add(FieldError.Required(path.Child("name"), "must specify a resource name"));
                }

                if (type == "ContainerResource")
                {
                    var container = source.Text("container");
                    if (container.Length == 0)
                    {
                        errors.Add(FieldError.Required(path.Child("container"), "must specify a container"));
                    }
                    else
                    {
                        errors.AddDns1123Label(container, path.Child("container"));
                    }
                }

                AddTarget(errors, target, targetPath);
                if (target?["averageUtilization"] is null && target?["averageValue"] is null)
                {
                    errors.Add(FieldError.Required(targetPath.Child("averageUtilization"), "must set either a target raw value or a target utilization"));
                }

                if (target?["averageUtilization"] is not null && target["averageValue"] is not null)
                {
                    errors.Add(FieldError.Forbidden(targetPath.Child("averageValue"), "may not set both a target raw value and a target utilization"));
                }

                break;
            case "Pods":
                AddMetricIdentifier(errors, source.ObjectAt("metric"), path.Child("metric"));
                AddTarget(errors, target, targetPath);
                if (target?["averageValue"] is null)
                {
                    errors.Add(FieldError.Required(targetPath.Child("averageValue"), "must specify a positive target averageValue"));
                }

                break;
            case "Object":
                AddObjectReference(errors, source.ObjectAt("describedObject"), path.Child("describedObject"));
                AddMetricIdentifier(errors, source.ObjectAt("metric"), path.Child("metric"));
                AddTarget(errors, target, targetPath);
                if (target?["value"] is null && target?["averageValue"] is null)
                {
                    errors.Add(FieldError.Required(targetPath.Child("averageValue"), "must set either a target value or averageValue"));
                }

                break;
            case "External":
                AddMetricIdentifier(errors, source.ObjectAt("metric"), path.Child("metric"));
                AddTarget(errors, target, targetPath);
                if (target?["value"] is null && target?["averageValue"] is null)
                {
                    errors.Add(FieldError.Required(targetPath.Child("averageValue"), "must set either a target value for metric or a per-pod target"));
                }

                if (target?["value"] is not null && target["averageValue"] is not null)
                {
                    errors.Add(FieldError.Forbidden(targetPath.Child("value"), "may not set both a target value for metric and a per-pod target"));
                }

                break;
        }
    }

    /// <summary>validateMetricIdentifier: a name that is one path segment, and a valid selector.</summary>
    private static void AddMetricIdentifier(FieldErrorList errors, JsonObject? metric, FieldPath path)
    {
        var name = metric.Text("name");
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("name"), "must specify a metric name"));
        }
        else
        {
            errors.AddInvalid(path.Child("name"), name, NameValidation.IsValidPathSegmentName(name));
        }

        errors.AddLabelSelector(metric?.ObjectAt("selector"), path.Child("selector"));
    }

    /// <summary>validateMetricTarget: a known type, positive quantities, a utilization above 0.</summary>
    private static void AddTarget(FieldErrorList errors, JsonObject? target, FieldPath path)
    {
        var type = target.Text("type");
        if (type.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("type"), "must specify a metric target type"));
        }

        if (type is not ("Utilization" or "Value" or "AverageValue"))
        {
            errors.Add(FieldError.Invalid(path.Child("type"), type, "must be either Utilization, Value, or AverageValue"));
        }

        foreach (var field in new[] { "value", "averageValue" })
        {
            if (target?.StringAt(field) is { } text && (!Quantity.TryParse(text, out var quantity, out _) || quantity.Sign != 1))
            {
                errors.Add(FieldError.Invalid(path.Child(field), text, "must be positive"));
            }
        }

        if (target?.LongAt("averageUtilization") is { } utilization and < 1)
        {
            errors.Add(FieldError.Invalid(path.Child("averageUtilization"), utilization, "must be greater than 0"));
        }
    }

    /// <summary>validateScalingRules: a known select policy, a window of at most an hour, at least one valid policy.</summary>
    private static void AddRules(FieldErrorList errors, JsonObject? rules, FieldPath path)
    {
        if (rules is null)
        {
            return;
        }

        if (rules.LongAt("stabilizationWindowSeconds") is { } window)
        {
            if (window < 0)
            {
                errors.Add(FieldError.Invalid(path.Child("stabilizationWindowSeconds"), window, "must be greater than or equal to zero"));
            }
            else if (window > 3600)
            {
                errors.Add(FieldError.Invalid(path.Child("stabilizationWindowSeconds"), window, "must be less than or equal to 3600"));
            }
        }

        if (rules.StringAt("selectPolicy") is { } selectPolicy && !_selectPolicies.Contains(selectPolicy))
        {
            errors.Add(FieldError.NotSupported(path.Child("selectPolicy"), selectPolicy, _selectPolicies));
        }

        var policies = rules.ArrayAt("policies");
        if (policies is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(path.Child("policies"), "must specify at least one Policy"));
            return;
        }

        var index = 0;
        foreach (var policy in policies.Objects())
        {
            var policyPath = path.Child("policies").Index(index++);
            errors.AddEnum(policy.StringAt("type"), policyPath.Child("type"), _policyTypes, required: false);
            if ((policy.LongAt("value") ?? 0) <= 0)
            {
                errors.Add(FieldError.Invalid(policyPath.Child("value"), policy.LongAt("value") ?? 0, "must be greater than zero"));
            }

            var period = policy.LongAt("periodSeconds") ?? 0;
            if (period <= 0)
            {
                errors.Add(FieldError.Invalid(policyPath.Child("periodSeconds"), period, "must be greater than zero"));
            }
            else if (period > 1800)
            {
                errors.Add(FieldError.Invalid(policyPath.Child("periodSeconds"), period, "must be less than or equal to 1800"));
            }
        }
    }
}
