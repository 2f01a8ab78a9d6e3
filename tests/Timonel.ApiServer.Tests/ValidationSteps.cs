using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests;

/// <summary>Runs a kind's strategy as the store does (prepare, defaults, validate) and returns the 422 message, or null when valid.</summary>
internal static class ValidationSteps
{
    public static string? CreateMessage(string group, string yaml) => CreateMessage(group, Examples.Parse(yaml));

    public static string? CreateMessage(string group, JsonObject obj)
    {
        var kind = (string)obj["kind"]!;
        var created = StoreSteps.Create(group, obj);
        var errors = StoreSteps.For(group, kind).Validate(created);
        return errors.IsEmpty ? null : errors.ToInvalidStatus(group, kind, created.Name() ?? "").Message;
    }

    /// <summary>Creates <paramref name="oldYaml"/>, then validates <paramref name="change"/> applied to a copy of it as an update.</summary>
    public static string? UpdateMessage(string group, string oldYaml, Action<JsonObject> change)
    {
        var old = StoreSteps.Create(group, Examples.Parse(oldYaml));
        var kind = (string)old["kind"]!;
        var strategy = StoreSteps.For(group, kind);
        var updated = old.DeepClone().AsObject();
        change(updated);
        strategy.ApplyDefaults(updated);
        strategy.PrepareForUpdate(updated, old);
        var errors = strategy.ValidateUpdate(updated, old);
        return errors.IsEmpty ? null : errors.ToInvalidStatus(group, kind, updated.Name() ?? "").Message;
    }
}
