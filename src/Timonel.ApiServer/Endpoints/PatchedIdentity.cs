using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// What a patch may not do to the object's identity, answered as upstream answers it: a resourceVersion the patch
/// sets is a precondition (409 when stale: registry/generic/registry/store.go Update), and a uid it changes fails
/// ValidateObjectMetaUpdate (422 "field is immutable"; handlers/patch.go passes no UID precondition, unlike a PUT).
/// </summary>
public static class PatchedIdentity
{
    private static readonly FieldPath _uid = FieldPath.Root("metadata").Child("uid");

    public static void Check(JsonObject current, JsonObject patched, ResourceDefinition definition)
    {
        var name = current.Name() ?? "";
        if (patched.ResourceVersion() is { Length: > 0 } version && version != current.ResourceVersion())
        {
            throw StatusException.ModifiedConflict(definition.Group, definition.Plural, name);
        }

        if (patched.Uid() is { Length: > 0 } uid && uid != current.Uid())
        {
            throw StatusException.Invalid(definition.Group, definition.Kind, name,
                ObjectMetaValidation.ValidateImmutableField(JsonValue.Create(uid), JsonValue.Create(current.Uid()), _uid));
        }
    }
}
