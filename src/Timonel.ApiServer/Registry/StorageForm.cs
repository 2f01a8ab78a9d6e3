namespace Timonel.ApiServer.Registry;

/// <summary>
/// Where and how a resource's objects are stored when that is not as they are served: under another resource's
/// keys (<paramref name="Group"/>, <paramref name="Plural"/>) and in that resource's form
/// (<paramref name="Version"/>, <paramref name="Kind"/>: its storage version), which <paramref name="Converter"/>
/// translates both ways.
/// </summary>
public sealed record StorageForm(string Group, string Version, string Kind, string Plural, IVersionConverter Converter);
