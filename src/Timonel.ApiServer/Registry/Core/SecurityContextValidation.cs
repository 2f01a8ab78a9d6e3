using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Pod and container security contexts (upstream's validatePodSpecSecurityContext, validateSysctls,
/// ValidateSecurityContext and validateSeccompProfileField in pkg/apis/core/validation/validation.go): user and
/// group IDs in range, sysctl names, seccomp profile types and the privilege combinations that contradict each other.
/// </summary>
internal static partial class SecurityContextValidation
{
    private const int SysctlMaxLength = 253;

    // SysctlContainSlashFmt: dot- or slash-separated segments.
    private const string SysctlFormat = "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";

    private static readonly string[] _seccompTypes = ["Localhost", "RuntimeDefault", "Unconfined"];
    private static readonly string[] _procMounts = ["Default", "Unmasked"];

    // validSupplementalGroupsPolicies, sorted as sets.List.
    private static readonly string[] _supplementalGroupsPolicies = ["Merge", "Strict"];

    /// <summary>validatePodSpecSecurityContext: IDs, process namespace sharing, sysctls, seccomp and group policy.</summary>
    public static void ValidatePod(FieldErrorList errors, JsonObject? spec, FieldPath specPath)
    {
        if (spec?["securityContext"] is not JsonObject context)
        {
            return;
        }

        var path = specPath.Child("securityContext");
        AddId(errors, context, "fsGroup", path, NameValidation.IsValidGroupId);
        AddId(errors, context, "runAsUser", path, NameValidation.IsValidUserId);
        AddId(errors, context, "runAsGroup", path, NameValidation.IsValidGroupId);
        var index = 0;
        foreach (var node in context.ArrayAt("supplementalGroups") ?? [])
        {
            var gid = node is JsonValue value ? value.AsLong() ?? 0 : 0;
            errors.AddInvalid(path.Child("supplementalGroups").Index(index++), gid, NameValidation.IsValidGroupId(gid));
        }

        // hostPID lives on the v1 pod spec; the internal type upstream validates keeps it in the security context.
        if (spec.BoolAt("shareProcessNamespace") == true && spec.BoolAt("hostPID") == true)
        {
            errors.Add(FieldError.Invalid(path.Child("shareProcessNamespace"), true, "ShareProcessNamespace and HostPID cannot both be enabled"));
        }

        ValidateSysctls(errors, context.ArrayAt("sysctls"), path.Child("sysctls"));
        AddSeccompProfile(errors, context.ObjectAt("seccompProfile"), path.Child("seccompProfile"));
        if (context.StringAt("supplementalGroupsPolicy") is { } policy)
        {
            errors.AddEnum(policy, path.Child("supplementalGroupsPolicy"), _supplementalGroupsPolicies, required: false);
        }
    }

    /// <summary>ValidateSecurityContext of one container.</summary>
    public static void ValidateContainer(FieldErrorList errors, JsonObject? context, FieldPath path)
    {
        if (context is null)
        {
            return;
        }

        AddId(errors, context, "runAsUser", path, NameValidation.IsValidUserId);
        AddId(errors, context, "runAsGroup", path, NameValidation.IsValidGroupId);
        if (context.StringAt("procMount") is { } procMount && !_procMounts.Contains(procMount))
        {
            errors.Add(FieldError.NotSupported(path.Child("procMount"), procMount, _procMounts));
        }

        AddSeccompProfile(errors, context.ObjectAt("seccompProfile"), path.Child("seccompProfile"));
        if (context.BoolAt("allowPrivilegeEscalation") == false)
        {
            if (context.BoolAt("privileged") == true)
            {
                errors.Add(FieldError.Invalid(path, Shown(context), "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
            }

            foreach (var capability in Api.Objects.JsonFields.GetStringList(context.ObjectAt("capabilities"), "add").Where(c => c == "CAP_SYS_ADMIN"))
            {
                errors.Add(FieldError.Invalid(path, Shown(context), "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"));
            }
        }
    }

    // The dereferenced *core.SecurityContext as %#v prints it: every field a pointer, set or nil.
    private static GoValue Shown(JsonObject context) => GoValue.Struct(
        "core.SecurityContext",
        ("Capabilities", GoValue.Pointer("core.Capabilities", context["capabilities"] is not null)),
        ("Privileged", GoValue.Pointer("bool", context["privileged"] is not null)),
        ("SELinuxOptions", GoValue.Pointer("core.SELinuxOptions", context["seLinuxOptions"] is not null)),
        ("WindowsOptions", GoValue.Pointer("core.WindowsSecurityContextOptions", context["windowsOptions"] is not null)),
        ("RunAsUser", GoValue.Pointer("int64", context["runAsUser"] is not null)),
        ("RunAsGroup", GoValue.Pointer("int64", context["runAsGroup"] is not null)),
        ("RunAsNonRoot", GoValue.Pointer("bool", context["runAsNonRoot"] is not null)),
        ("ReadOnlyRootFilesystem", GoValue.Pointer("bool", context["readOnlyRootFilesystem"] is not null)),
        ("AllowPrivilegeEscalation", GoValue.Pointer("bool", context["allowPrivilegeEscalation"] is not null)),
        ("ProcMount", GoValue.Pointer("core.ProcMountType", context["procMount"] is not null)),
        ("SeccompProfile", GoValue.Pointer("core.SeccompProfile", context["seccompProfile"] is not null)),
        ("AppArmorProfile", GoValue.Pointer("core.AppArmorProfile", context["appArmorProfile"] is not null)));

    /// <summary>validateSeccompProfileField: a known type; a localhost profile exactly when the type is Localhost.</summary>
    private static void AddSeccompProfile(FieldErrorList errors, JsonObject? profile, FieldPath path)
    {
        if (profile is null)
        {
            return;
        }

        var type = profile.Text("type");
        if (type.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("type"), "type is required when seccompProfile is set"));
        }
        else if (!_seccompTypes.Contains(type))
        {
            errors.Add(FieldError.NotSupported(path.Child("type"), type, _seccompTypes));
        }

        var localhost = profile.StringAt("localhostProfile");
        if (type == "Localhost")
        {
            if (localhost is null)
            {
                errors.Add(FieldError.Required(path.Child("localhostProfile"), "must be set when seccomp type is Localhost"));
            }
            else
            {
                PathValidation.AddLocalDescendingPath(errors, localhost, path.Child("localhostProfile"));
            }
        }
        else if (localhost is not null)
        {
            // The dereferenced *core.SeccompProfile, as %#v prints it.
            var shown = GoValue.Struct("core.SeccompProfile", ("Type", type), ("LocalhostProfile", GoValue.Pointer("string", set: true)));
            errors.Add(FieldError.Invalid(path.Child("localhostProfile"), shown, "can only be set when seccomp type is Localhost"));
        }
    }

    /// <summary>validateSysctls: each name present, well-formed and unique.</summary>
    private static void ValidateSysctls(FieldErrorList errors, JsonArray? sysctls, FieldPath path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var sysctl in sysctls.Objects())
        {
            var namePath = path.Index(index++).Child("name");
            var name = sysctl.Text("name");
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required(namePath));
            }
            else if (name.Length > SysctlMaxLength || !SysctlRegex().IsMatch(name))
            {
                errors.Add(FieldError.Invalid(namePath, name, $"must have at most {SysctlMaxLength} characters and match regex {SysctlFormat}"));
            }
            else if (names.Contains(name))
            {
                errors.Add(FieldError.Duplicate(namePath, name));
            }

            names.Add(name);
        }
    }

    private static void AddId(FieldErrorList errors, JsonObject context, string field, FieldPath path, Func<long, IReadOnlyList<string>> check)
    {
        if (context.LongAt(field) is { } id)
        {
            errors.AddInvalid(path.Child(field), id, check(id));
        }
    }

    [GeneratedRegex(SysctlFormat, RegexOptions.CultureInvariant)]
    private static partial Regex SysctlRegex();
}
