namespace Timonel.Api.Validation;

/// <summary>
/// Checks an object name for one resource type, as upstream's ValidateNameFunc; <paramref name="prefix"/> is true
/// when the name is a generateName prefix (a suffix will be appended). Returns the problems; empty means valid.
/// </summary>
public delegate IReadOnlyList<string> ValidateNameFunc(string name, bool prefix);
