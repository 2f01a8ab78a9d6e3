namespace Timonel.ApiServer.Registry;

/// <summary>What a table cell may depend on besides the object: the current time, for AGE columns.</summary>
public sealed record TableContext(DateTimeOffset Now);
