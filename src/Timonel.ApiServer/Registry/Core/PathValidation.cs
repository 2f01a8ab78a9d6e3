using Timonel.Api.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>Relative paths inside a volume (upstream's validateLocalDescendingPath, ValidateLocalNonReservedPath and validatePathNoBacksteps).</summary>
internal static class PathValidation
{
    /// <summary>Relative, and no ".." element.</summary>
    public static void AddLocalDescendingPath(FieldErrorList errors, string target, FieldPath path)
    {
        if (target.StartsWith('/'))
        {
            errors.Add(FieldError.Invalid(path, target, "must be a relative path"));
        }

        AddPathNoBacksteps(errors, target, path);
    }

    /// <summary>validatePathNoBacksteps: no ".." element (host and local volume paths).</summary>
    public static void AddPathNoBacksteps(FieldErrorList errors, string target, FieldPath path)
    {
        if (target.Replace('\\', '/').Split('/').Contains(".."))
        {
            errors.Add(FieldError.Invalid(path, target, "must not contain '..'"));
        }
    }

    /// <summary>A descending path that also does not start with ".." (e.g. "..data", reserved for atomic writes).</summary>
    public static void AddLocalNonReservedPath(FieldErrorList errors, string target, FieldPath path)
    {
        AddLocalDescendingPath(errors, target, path);
        if (target.StartsWith("..", StringComparison.Ordinal) && !target.StartsWith("../", StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid(path, target, "must not start with '..'"));
        }
    }
}
