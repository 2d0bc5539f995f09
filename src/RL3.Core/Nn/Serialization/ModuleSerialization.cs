namespace RL3.Core.Nn.Serialization;

/// <summary>Saving and loading a module's parameters (by their dotted names) with <see cref="TensorArchive"/>.</summary>
public static class ModuleSerialization
{
    /// <summary>Adds every parameter value of <paramref name="module"/> to <paramref name="archive"/> as <c>{prefix}{dotted name}</c>.</summary>
    /// <param name="module">The module.</param>
    /// <param name="archive">The archive to add to.</param>
    /// <param name="prefix">A prefix for the entry names (default none).</param>
    public static void AddParameters(this Module module, TensorArchive archive, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(prefix);
        foreach (var p in module.NamedParameters())
        {
            archive.AddTensor(prefix + p.Key, p.Value.Value);
        }
    }

    /// <summary>
    /// Copies parameter values from <paramref name="archive"/> into <paramref name="module"/>. Every parameter
    /// must be present with its exact shape, and no other tensor may carry <paramref name="prefix"/>; all of
    /// this is checked before anything is copied, so on failure the module is unchanged.
    /// </summary>
    /// <param name="module">The module.</param>
    /// <param name="archive">The archive.</param>
    /// <param name="prefix">The prefix used when saving.</param>
    /// <exception cref="InvalidDataException">A parameter is missing, has another shape, or the archive has an unknown parameter (the message names it).</exception>
    public static void LoadParameters(this Module module, TensorArchive archive, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(prefix);
        var named = module.NamedParameters().ToList();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in named)
        {
            expected.Add(prefix + p.Key);
            try
            {
                archive.CheckTensor(prefix + p.Key, p.Value.Value);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"Cannot load parameter '{p.Key}' of {module.GetType().Name}: {e.Message}", e);
            }
        }

        foreach (string name in archive.TensorNames)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && !expected.Contains(name))
            {
                throw new InvalidDataException($"The archive has a parameter '{name}' that {module.GetType().Name} does not have (architecture mismatch).");
            }
        }

        foreach (var p in named)
        {
            archive.GetData(prefix + p.Key).CopyTo(p.Value.Value.Span);
        }
    }

    /// <summary>Saves the module's parameters atomically to <paramref name="path"/>.</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The file.</param>
    public static void SaveParameters(this Module module, string path)
    {
        var archive = new TensorArchive();
        module.AddParameters(archive);
        archive.Save(path);
    }

    /// <summary>Loads parameters saved by <see cref="SaveParameters"/>; on any error the module is unchanged.</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is truncated, corrupted, or does not match the module (the message says why).</exception>
    public static void LoadParameters(this Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        var archive = TensorArchive.Load(path);
        try
        {
            module.LoadParameters(archive);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }
}
