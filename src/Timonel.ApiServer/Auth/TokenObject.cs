namespace Timonel.ApiServer.Auth;

/// <summary>What token authentication needs of an object a token names: its UID and when its deletion began.</summary>
public sealed record TokenObject(string Uid, DateTimeOffset? DeletionTimestamp);
