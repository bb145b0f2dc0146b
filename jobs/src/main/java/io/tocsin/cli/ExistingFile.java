package io.tocsin.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts an option value to the path of a file that must exist. */
final class ExistingFile implements ITypeConverter<Path> {

    @Override
    public Path convert(String value) {
        Path p = Path.of(value);
        if (!Files.isRegularFile(p)) {
            throw new TypeConversionException(p + ": file not found");
        }
        return p;
    }
}
