using System.Reflection;

namespace Timonel.OpenApiGen;

/// <summary>One serialized property of a KubernetesClient model: its JSON name, CLR type and whether upstream requires it.</summary>
internal sealed record ModelProperty(string JsonName, Type Type, PropertyInfo Info, bool Required);
