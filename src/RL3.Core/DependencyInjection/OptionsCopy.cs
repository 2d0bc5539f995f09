using System.Reflection;

namespace RL3.Core.DependencyInjection;

/// <summary>Copies the public settable properties of an options object (used to freeze bound options and to apply presets).</summary>
internal static class OptionsCopy
{
    public static T Clone<T>(T source)
        where T : class, new()
    {
        var copy = new T();
        CopyTo(source, copy);
        return copy;
    }

    public static void CopyTo<T>(T source, T target)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanRead && property.CanWrite && property.GetIndexParameters().Length == 0)
            {
                property.SetValue(target, property.GetValue(source));
            }
        }
    }
}
