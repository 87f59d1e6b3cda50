package io.cartrecovery.serialization;

import io.cartrecovery.events.ClickEvent;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link ClickEventSerializer} for {@link ClickEvent} wherever it meets one. */
public final class ClickEventTypeInfoFactory extends TypeInfoFactory<ClickEvent> {
    @Override
    public TypeInformation<ClickEvent> createTypeInfo(
            Type type, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(ClickEvent.class, ClickEventSerializer.INSTANCE);
    }
}
