using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>Probes and lifecycle hooks (upstream's validateProbe, validateLifecycle and validateHandler).</summary>
internal static class ProbeValidation
{
    // The handler kinds in the order upstream checks them; a lifecycle hook may also sleep, a probe may use gRPC.
    private static readonly string[] _probeHandlers = ["exec", "httpGet", "tcpSocket", "grpc"];
    private static readonly string[] _hookHandlers = ["exec", "httpGet", "tcpSocket", "sleep"];
    private static readonly string[] _schemes = ["HTTP", "HTTPS"];

    /// <summary>The three probes of a regular (or restartable init) container.</summary>
    public static void ValidateProbes(FieldErrorList errors, JsonObject container, FieldPath path)
    {
        if (container.ObjectAt("livenessProbe") is { } liveness)
        {
            ValidateProbe(errors, liveness, path.Child("livenessProbe"));
            RequireSingleSuccess(errors, liveness, path.Child("livenessProbe"));
        }

        if (container.ObjectAt("readinessProbe") is { } readiness)
        {
            ValidateProbe(errors, readiness, path.Child("readinessProbe"));
            if (readiness["terminationGracePeriodSeconds"] is not null)
            {
                errors.Add(FieldError.Invalid(path.Child("readinessProbe", "terminationGracePeriodSeconds"), readiness["terminationGracePeriodSeconds"], "must not be set for readinessProbes"));
            }
        }

        if (container.ObjectAt("startupProbe") is { } startup)
        {
            ValidateProbe(errors, startup, path.Child("startupProbe"));
            RequireSingleSuccess(errors, startup, path.Child("startupProbe"));
        }
    }

    /// <summary>validateLifecycle: postStart and preStop each need exactly one handler.</summary>
    public static void ValidateLifecycle(FieldErrorList errors, JsonObject? lifecycle, FieldPath path)
    {
        foreach (var hook in new[] { "postStart", "preStop" })
        {
            if (lifecycle?[hook] is JsonObject handler)
            {
                ValidateHandler(errors, handler, _hookHandlers, path.Child(hook));
            }
        }
    }

    private static void ValidateProbe(FieldErrorList errors, JsonObject probe, FieldPath path)
    {
        ValidateHandler(errors, probe, _probeHandlers, path);
        foreach (var field in new[] { "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold" })
        {
            errors.AddNonnegative(probe, field, path.Child(field));
        }

        if (probe.LongAt("terminationGracePeriodSeconds") is { } grace and <= 0)
        {
            errors.Add(FieldError.Invalid(path.Child("terminationGracePeriodSeconds"), grace, "must be greater than 0"));
        }
    }

    private static void RequireSingleSuccess(FieldErrorList errors, JsonObject probe, FieldPath path)
    {
        if (probe.LongAt("successThreshold") is { } threshold and not 1)
        {
            errors.Add(FieldError.Invalid(path.Child("successThreshold"), threshold, "must be 1"));
        }
    }

    /// <summary>validateHandler: exactly one handler.</summary>
    private static void ValidateHandler(FieldErrorList errors, JsonObject handler, string[] kinds, FieldPath path) =>
        errors.AddExactlyOne(handler, kinds, path, "may not specify more than 1 handler type", "must specify a handler type", ValidateAction);

    private static void ValidateAction(FieldErrorList errors, string kind, JsonObject action, FieldPath path)
    {
        switch (kind)
        {
            case "exec":
                if (action.ArrayAt("command") is not { Count: > 0 })
                {
                    errors.Add(FieldError.Required(path.Child("command")));
                }

                break;
            case "httpGet":
                if (action.Text("path").Length == 0)
                {
                    errors.Add(FieldError.Required(path.Child("path")));
                }

                errors.AddPortNumOrName(action["port"], path.Child("port"));
                var scheme = action.Text("scheme");
                if (!_schemes.Contains(scheme))
                {
                    errors.Add(FieldError.NotSupported(path.Child("scheme"), scheme, _schemes));
                }

                break;
            case "tcpSocket":
                errors.AddPortNumOrName(action["port"], path.Child("port"));
                break;
            case "grpc":
                var port = action.LongAt("port") ?? 0;
                errors.AddInvalid(path.Child("port"), port, NameValidation.IsValidPortNum(port));
                break;
            case "sleep":
                if ((action.LongAt("seconds") ?? 0) < 0)
                {
                    errors.Add(FieldError.Invalid(path.Child("seconds"), action.LongAt("seconds"), "must be non-negative integer"));
                }

                break;
        }
    }
}
