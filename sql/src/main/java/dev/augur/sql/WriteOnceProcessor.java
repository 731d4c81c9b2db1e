package dev.augur.sql;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * An annotation processor that writes what the build renders from a declaration (not from the sources it compiles):
 * once, in the first round, through the compiler's Filer; a failure to write fails the compilation.
 */
abstract class WriteOnceProcessor extends AbstractProcessor {
    private boolean written;

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public final boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (written || round.processingOver()) {
            return false;
        }
        written = true;
        try {
            writeAll();
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, getClass().getSimpleName() + " cannot write: " + e.getMessage());
            throw new UncheckedIOException(e);
        }
        return false;
    }

    /** Writes this processor's files through {@code processingEnv.getFiler()}. */
    abstract void writeAll() throws IOException;
}
