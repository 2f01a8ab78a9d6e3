using Timonel.Api.Validation;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// The 409 an apply gets when it would change fields other managers own (fieldmanager/internal/conflict.go
/// NewConflictError and apierrors.NewApplyConflict): one FieldManagerConflict cause per field.
/// </summary>
internal static class ApplyConflicts
{
    public static StatusException Error(IReadOnlyList<(ManagedFieldsEntry Owner, IReadOnlyList<string> Path)> conflicts)
    {
        var causes = conflicts.Select(c => new StatusCause("FieldManagerConflict", $"conflict with {c.Owner.Describe()}", FieldsV1Path.Describe(c.Path))).ToList();
        return new StatusException(409, "Conflict", Message(conflicts), causes: causes);
    }

    private static string Message(IReadOnlyList<(ManagedFieldsEntry Owner, IReadOnlyList<string> Path)> conflicts)
    {
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: conflict with {conflicts[0].Owner.Describe()}: {FieldsV1Path.Describe(conflicts[0].Path)}";
        }

        // Grouped by manager, managers sorted as upstream sorts them (by their encoded identity, close to the name).
        var lines = conflicts
            .GroupBy(c => c.Owner.Describe())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.Select(c => $"- {FieldsV1Path.Describe(c.Path)}").Prepend($"conflicts with {g.Key}:"));
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
